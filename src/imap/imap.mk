# SPDX-License-Identifier: ISC
# imap layer: filled in as the layer is written.
