# SPDX-License-Identifier: ISC
# ui layer: filled in as the layer is written.
