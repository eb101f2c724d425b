# SPDX-License-Identifier: ISC
# config layer: filled in as the layer is written.
