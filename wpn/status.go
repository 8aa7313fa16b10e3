package wpn

import "fmt"

// UploadStatus is what the queue/status string of 0x0384, 0x138A and
// 0x177A says (wpn.md §3.4).
type UploadStatus struct {
	Free, Max, Queued int
}

// String formats the status as WinMX does: "<code> <free> of <max>
// available" when a slot is free, else "<code> <queued> in queue (<free>
// of <max> available)", where code = 9000 + free − queued.
func (s UploadStatus) String() string {
	code := 9000 + s.Free - s.Queued
	if s.Free > 0 {
		return fmt.Sprintf("%d %d of %d available", code, s.Free, s.Max)
	}
	return fmt.Sprintf("%d %d in queue (%d of %d available)", code, s.Queued, s.Free, s.Max)
}

// ParseUploadStatus reads a status string; it reports false for text in
// another form (clients only display it, so the raw string stays valid).
func ParseUploadStatus(s string) (UploadStatus, bool) {
	var st UploadStatus
	var code int
	if n, _ := fmt.Sscanf(s, "%d %d of %d available", &code, &st.Free, &st.Max); n == 3 {
		return st, true
	}
	if n, _ := fmt.Sscanf(s, "%d %d in queue (%d of %d available)", &code, &st.Queued, &st.Free, &st.Max); n == 4 {
		return st, true
	}
	return UploadStatus{}, false
}
