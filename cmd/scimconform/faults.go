package main

import (
	"fmt"
	"io"

	"github.com/scimconform/scimconform/refserver"
)

// printFaults prints the reference server's fault table for
// `scimconform serve -fault list`: one block per fault.
func printFaults(w io.Writer) {
	fmt.Fprintln(w, "Faults of the reference server: scimconform serve -fault NAME[,NAME]")
	fmt.Fprintln(w, "Each makes the server wrong in exactly one way that real services ship;")
	fmt.Fprintln(w, "the conformance suites fail against it (go test ./suites/selftest proves it).")
	for _, f := range refserver.FaultCatalog() {
		fmt.Fprintf(w, "\n%s  [%s]\n    does:   %s\n    breaks: %s\n", f.Name, f.Area, f.Does, f.Breaks)
	}
}
