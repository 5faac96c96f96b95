"""Documents built on the printers: the document model, HTML, plots, the PDF step, and the tour with the source text's content."""
