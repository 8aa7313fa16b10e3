package slskclient_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/revival-net/revival/slsk/slskclient"
)

// A small bot: log in sharing a folder, search, download the first
// result, then answer private messages until the connection ends.
func Example() {
	ctx := context.Background()
	c, err := slskclient.Dial(ctx, "127.0.0.1:2242", slskclient.Options{
		ShareDir:    "/srv/music",     // answered searches, browses and uploads come from here
		DownloadDir: "/srv/downloads", // DownloadFile writes here
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Login(ctx, "mybot", "secret"); err != nil {
		log.Fatal(err) // a *LoginError carries the server's reason
	}

	searchCtx, stop := context.WithTimeout(ctx, 5*time.Second)
	results, err := c.SearchAll(searchCtx, "artist album")
	stop()
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		for _, f := range r.Files {
			fmt.Println(r.User, f.Size, f.Name)
		}
	}
	if len(results) > 0 && len(results[0].Files) > 0 {
		name, err := c.DownloadFile(ctx, results[0].User, results[0].Files[0].Name, func(done, total int64) {
			fmt.Printf("\r%d of %d bytes", done, total)
		})
		if err != nil {
			log.Print(err)
		} else {
			fmt.Println("\nsaved", name)
		}
	}

	for ev := range c.Events() {
		if pm, ok := ev.(slskclient.PrivateMessage); ok {
			c.SendPrivateMessage(pm.User, "echo: "+pm.Text)
		}
	}
}
