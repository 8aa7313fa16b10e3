package app

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/revival-net/revival"

// TestDependencyRules keeps the layering of docs/architecture.md true:
// codecs never touch the network or the domain, clients never see the
// store, the domain never knows a protocol, and only app and cmd wire
// everything together.
func TestDependencyRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}:{{join .Imports " "}}`, module+"/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	type rule struct {
		pkgPrefix string
		forbid    []string
		why       string
	}
	codecForbid := []string{"net", "net/http", module + "/internal/hub", module + "/internal/store", module + "/internal/app"}
	rules := []rule{
		{module + "/internal/wire", codecForbid, "shared byte helpers do no networking"},
		{module + "/slsk:", append(codecForbid, module+"/slsk/"), "the codec does no networking and knows no server or client"},
		{module + "/wpn:", append(codecForbid, module+"/wpn/", module+"/slsk"), "the WinMX codec does no networking and knows no server, client or other protocol"},
		{module + "/slsk/slskclient", []string{module + "/internal/hub", module + "/internal/store", module + "/slsk/slskserver", module + "/internal/app"}, "the client library talks only the protocol"},
		{module + "/slsk/slskserver", []string{module + "/internal/store/sqlstore", module + "/internal/app", module + "/internal/config", module + "/slsk/slskclient"}, "servers see store interfaces, not the implementation"},
		{module + "/internal/hub", []string{module + "/slsk", module + "/wpn", module + "/internal/app"}, "the domain knows no protocol"},
		{module + "/internal/store:", []string{module + "/"}, "store interfaces depend on nothing in the module"},
		{module + "/wpn/wpnconn", []string{module + "/internal/hub", module + "/internal/store", module + "/internal/app", module + "/slsk", module + "/wpn/wpnserver", module + "/wpn/wpnchat", module + "/wpn/wpncache", module + "/wpn/wpnclient"}, "the WPN handshake serves every WPN server and client and knows none of them"},
		{module + "/wpn/wpnclient", []string{module + "/internal/hub", module + "/internal/store", module + "/internal/netconn", module + "/internal/app", module + "/wpn/wpnserver", module + "/wpn/wpnchat", module + "/wpn/wpncache"}, "the client library talks only the protocol"},
		{module + "/wpn/wpnserver", []string{module + "/internal/store/sqlstore", module + "/internal/app", module + "/internal/config", module + "/wpn/wpnclient", module + "/slsk"}, "servers see store interfaces, not the implementation"},
		{module + "/wpn/wpnchat", []string{module + "/internal/store/sqlstore", module + "/internal/app", module + "/internal/config", module + "/wpn/wpnclient", module + "/wpn/wpnserver", module + "/slsk"}, "the chat host is served by the primary's listener, it does not import it"},
		{module + "/wpn/wpncache", []string{module + "/internal/store", module + "/internal/hub", module + "/internal/app", module + "/internal/config", module + "/wpn/wpnclient", module + "/wpn/wpnserver", module + "/slsk"}, "the peer cache knows primaries only as node entries"},
		{module + "/internal/netconn", []string{module + "/slsk", module + "/wpn", module + "/internal/hub", module + "/internal/store", module + "/internal/app", module + "/internal/config"}, "the connection layer knows no protocol, domain or store"},
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		imps := strings.Fields(imports)
		for _, r := range rules {
			prefix, exact := strings.CutSuffix(r.pkgPrefix, ":")
			if exact && pkg != prefix || !exact && !strings.HasPrefix(pkg, prefix) {
				continue
			}
			for _, imp := range imps {
				for _, f := range r.forbid {
					if forbidden(imp, f) {
						t.Errorf("%s imports %s: %s", pkg, imp, r.why)
					}
				}
			}
		}
	}
}

// forbidden reports whether imp is f or inside f. Standard-library names
// match exactly (net/netip is fine where net is not); a trailing slash
// forbids only sub-packages.
func forbidden(imp, f string) bool {
	if !strings.Contains(f, ".") {
		return imp == f
	}
	return imp == f || strings.HasPrefix(imp, strings.TrimSuffix(f, "/")+"/")
}
