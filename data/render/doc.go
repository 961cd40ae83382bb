// Package render writes the station's documents: PDFs (the embedded CJK font
// with DejaVu Sans for what it lacks, text drawn in runs per font so that all
// of it stays real and extractable), xlsx workbooks (header style, sheet
// set-up, a streaming list writer) and the private temp-then-rename file
// write every export ends in.
//
// It knows nothing of the database: it imports no package of this project
// but stationdesk/assets, and never database/sql. The features in
// stationdesk/data gather what a document shows and call render to draw it.
package render
