package patch

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// inOperation prefixes err with the operation it came from. Every error
// leaving Apply is a 400 *scimerr.Error.
func inOperation(i int, op Operation, err error) error {
	where := fmt.Sprintf("operation %d (%s", i+1, scimerr.Clip(op.Op))
	if op.Path != "" {
		where += " " + scimerr.Quote(op.Path)
	}
	where += ")"
	var se *scimerr.Error
	if errors.As(err, &se) && se.Status == http.StatusBadRequest {
		return scimerr.BadRequest(se.ScimType, "%s: %s", where, se.Detail)
	}
	return scimerr.BadRequest(scimerr.InvalidValue, "%s: %v", where, err)
}

// valueError reports a value rejected by schema validation, keeping its
// scimType when it is a 400 and naming the attribute it was meant for.
func valueError(name string, err error) error {
	var se *scimerr.Error
	if errors.As(err, &se) && se.Status == http.StatusBadRequest && se.ScimType != "" {
		return scimerr.BadRequest(se.ScimType, "value of %s: %s", name, se.Detail)
	}
	return scimerr.BadRequest(scimerr.InvalidValue, "value of %s: %s", name, detail(err))
}

// detail is the human-readable part of err.
func detail(err error) string {
	var se *scimerr.Error
	if errors.As(err, &se) {
		return se.Detail
	}
	return err.Error()
}
