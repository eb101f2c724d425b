# SPDX-License-Identifier: ISC
# loop layer: filled in as the layer is written.
