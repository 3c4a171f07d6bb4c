// Package load replays Microsoft Entra ID's provisioning cycles against a
// SCIM endpoint at scale: the initial cycle (every user looked up by its
// matching attribute and created, then groups and their memberships), an
// incremental cycle, deprovisioning and cleanup. Requests are derived from
// an app profile through the same sequence engine the replay command uses
// (see cycle.go), so load traffic has exactly the shapes replay checks.
//
// Memory stays bounded regardless of the number of users: latencies go to
// fixed-size histograms, transcripts are kept only for the first few
// failures, and per-user state between phases is two strings (target id
// and matching value), plus the client's record of the run's own users and
// groups (up to about 60 bytes each; see scimclient.ErrNotOwned).
//
// Cleanup deletes only what the run created: the client refuses anything
// else, and the sweep for the run prefix checks the prefix on every
// resource a listing returns.
package load
