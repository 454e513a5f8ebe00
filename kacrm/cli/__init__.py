"""The command-line layer: options in, one app call (kacrm.app), one view (kacrm.render) out."""
