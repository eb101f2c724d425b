# SPDX-License-Identifier: ISC
# store layer: filled in as the layer is written.
