package slskserver

import (
	"sync"

	"github.com/revival-net/revival/slsk"
)

// keptSettings holds the statistics and interests of users who logged
// out, as their session had them, so that their next login needs no store
// read (it runs on every login; see loadUserSettings). This server is the
// only writer of these settings and writes each change before it is
// acknowledged, so the session's values at logout are the stored ones.
// An entry is taken (removed) by the next login and put back by the
// logout of the session that is current then; a relogin, whose old
// session logs out after the new one loaded, puts nothing back.
type keptSettings struct {
	mu sync.Mutex
	m  map[string]keptUser
}

type keptUser struct {
	stats        slsk.UserStats
	likes, hates map[string]struct{}
}

// maxKeptSettings bounds the map; past it an arbitrary entry is dropped,
// which costs that user one store read at their next login.
const maxKeptSettings = 200000

func newKeptSettings() *keptSettings { return &keptSettings{m: map[string]keptUser{}} }

func (k *keptSettings) put(name string, v keptUser) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.m[name]; !ok && len(k.m) >= maxKeptSettings {
		for n := range k.m {
			delete(k.m, n)
			break
		}
	}
	k.m[name] = v
}

func (k *keptSettings) take(name string) (keptUser, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[name]
	delete(k.m, name)
	return v, ok
}

func (k *keptSettings) drop(name string) {
	k.mu.Lock()
	delete(k.m, name)
	k.mu.Unlock()
}
