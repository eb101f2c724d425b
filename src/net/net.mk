# SPDX-License-Identifier: ISC
# net layer: filled in as the layer is written.
