package scimclient

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// ByteSize is a number of bytes written as a command-line value: "1048576",
// "512KiB", "16 MiB", "1GiB" (units are case-insensitive). It implements
// flag.Value for options such as -max-response.
type ByteSize int64

// byteUnits are the accepted units, longest first so that "KiB" is not
// read as "B".
var byteUnits = []struct {
	name string
	size int64
}{{"gib", 1 << 30}, {"mib", 1 << 20}, {"kib", 1 << 10}, {"b", 1}}

var errByteSize = errors.New("want a size such as 16MiB, 512KiB or 1048576 (bytes)")

// ParseByteSize reads a ByteSize; it is never negative.
func ParseByteSize(s string) (ByteSize, error) {
	num := strings.TrimSpace(s)
	unit := int64(1)
	lower := strings.ToLower(num)
	for _, u := range byteUnits {
		if strings.HasSuffix(lower, u.name) {
			num, unit = strings.TrimSpace(num[:len(num)-len(u.name)]), u.size
			break
		}
	}
	if num == "" || num[0] == '+' || num[0] == '-' {
		return 0, errByteSize
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return 0, errByteSize
	}
	if n > math.MaxInt64/unit {
		return 0, errors.New("size too large: at most 8 EiB")
	}
	return ByteSize(n * unit), nil
}

// Set parses s into b (flag.Value).
func (b *ByteSize) Set(s string) error {
	v, err := ParseByteSize(s)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// String renders b as "16 MiB", "512 KiB" or "100 bytes".
func (b *ByteSize) String() string {
	if b == nil {
		return "0 bytes"
	}
	return formatBytes(int64(*b))
}
