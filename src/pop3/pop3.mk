# SPDX-License-Identifier: ISC
# pop3 layer: filled in as the layer is written.
