"""Reading spreadsheets into kacrm: file readers, header matching, value parsers and the importer (SPEC §5)."""
