package shareindex

// Has reports whether o shares path, exactly as shared: a primary checks
// it before brokering a download, so a request for a file the uploader
// does not share fails at once with "File Not Shared" (wpn.md §3.11).
func (x *Index) Has(o Owner, path string) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	rec := x.owners[o]
	if rec == nil || rec.gone {
		return false
	}
	return x.lookupPath(rec, x.pathKey(rec, path), path) != 0
}
