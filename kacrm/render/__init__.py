"""Renderers: turn result types into tables, json, csv, md, html, xlsx, ics and email."""
