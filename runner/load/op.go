package load

// Op names one kind of request in the summary.
type Op string

// Kinds of requests, in the order the summary lists them.
const (
	OpQueryUser    Op = "query-user"
	OpCreateUser   Op = "create-user"
	OpFindUser     Op = "find-user" // the incremental lookup, which must return exactly the user
	OpPatchUser    Op = "patch-user"
	OpDisableUser  Op = "disable-user"
	OpGetUser      Op = "get-user" // the read-back of a disabled user
	OpDeleteUser   Op = "delete-user"
	OpQueryGroup   Op = "query-group"
	OpCreateGroup  Op = "create-group"
	OpPatchMembers Op = "patch-members"
	OpDeleteGroup  Op = "delete-group"
	OpSweep        Op = "sweep" // listing leftovers of the run prefix after cleanup
)

// allOps is the summary order.
var allOps = []Op{OpQueryUser, OpCreateUser, OpFindUser, OpPatchUser, OpDisableUser, OpGetUser,
	OpDeleteUser, OpQueryGroup, OpCreateGroup, OpPatchMembers, OpDeleteGroup, OpSweep}
