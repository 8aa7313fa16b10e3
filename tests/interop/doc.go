// Package interop holds tests that run third-party Soulseek clients against
// our server. Its only content is tests; see slskclient_npm_test.go, which
// drives the npm client slsk-client 1.1.0 (spec §1.3–§1.4) through pm.js.
//
// The Node dependencies are pinned in package.json and package-lock.json;
// install them with `npm ci --prefix tests/interop` (CI does).
package interop
