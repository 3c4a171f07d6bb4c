//go:build race

package main

// raceEnabled reports a build with the race detector (go test -race).
const raceEnabled = true
