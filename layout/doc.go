// Package layout holds no code: its test keeps the packages' imports in the
// layers the README's "Layout" section describes, and keeps each binary
// free of what it must not link (bin/pos links no PostgreSQL driver;
// bin/pos-cloud links neither the terminal's store nor its UI).
package layout
