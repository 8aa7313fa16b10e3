package serverproc

import "syscall"

// sysProcAttr makes the kernel send the child SIGTERM if the bench dies,
// so an interrupted or crashed run never leaves a server behind.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
