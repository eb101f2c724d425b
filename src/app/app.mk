# SPDX-License-Identifier: ISC
# app layer: filled in as the layer is written.
