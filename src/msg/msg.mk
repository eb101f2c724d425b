# SPDX-License-Identifier: ISC
# msg layer: filled in as the layer is written.
