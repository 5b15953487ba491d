package server

import "syscall"

// diskSpace is the size of the filesystem holding dir and the space
// available to an unprivileged writer on it.
func diskSpace(dir string) (size, free uint64, ok bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, 0, false
	}
	return st.Blocks * uint64(st.Bsize), st.Bavail * uint64(st.Bsize), true
}
