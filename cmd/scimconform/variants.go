package main

import (
	"fmt"
	"io"

	"github.com/scimconform/scimconform/refserver"
)

// printVariants prints the reference server's variant table for
// `scimconform serve -variant list`: one block per variant.
func printVariants(w io.Writer) {
	fmt.Fprintln(w, "Variants of the reference server: scimconform serve -variant NAME[,NAME]")
	fmt.Fprintln(w, "Each changes the server in a way RFC 7643/7644 allow; the conformance suites")
	fmt.Fprintln(w, "pass against every one of them (go test ./suites/selftest proves it).")
	for _, v := range refserver.VariantCatalog() {
		fmt.Fprintf(w, "\n%s\n    does:    %s\n    allowed: %s\n", v.Name, v.Does, v.Allows)
	}
}
