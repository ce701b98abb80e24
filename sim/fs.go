package sim

import (
	"sort"
	"strings"
	"time"
)

// perm is what an account may do in a folder.
type perm uint8

// Folder permissions: read (list, open for reading) and write (create, overwrite, delete).
const (
	permRead  perm = 1
	permWrite perm = 2
	permRW         = permRead | permWrite
)

// Windows error codes the simulator produces, with the texts SQL Server and .NET print for them.
const (
	errFileNotFound   = 2
	errPathNotFound   = 3
	errAccessDenied   = 5
	errNetPath        = 53
	errNetName        = 67
	errSharing        = 32
	errDiskFull       = 112
	errNone           = 0
	bytesPerPage      = 8192
	gigabyte          = int64(1) << 30
	defaultShareSpace = 500 * gigabyte
)

// osErrorText is "%d(text)" as SQL Server prints an operating system error inside 3201/3202.
func osErrorText(code int) string {
	switch code {
	case errFileNotFound:
		return "2(The system cannot find the file specified.)"
	case errPathNotFound:
		return "3(The system cannot find the path specified.)"
	case errAccessDenied:
		return "5(Access is denied.)"
	case errNetPath:
		return "53(The network path was not found.)"
	case errNetName:
		return "67(The network name cannot be found.)"
	case errSharing:
		return "32(The process cannot access the file because it is being used by another process.)"
	case errDiskFull:
		return "112(There is not enough space on the disk.)"
	}
	return "1117(The request could not be performed because of an I/O device error.)"
}

// volume is the disk a folder tree lives on: the share's free space is the volume's.
type volume struct {
	capacity, free int64
}

// damage marks a backup file as corrupt (scenarios).
type damage int

// Kinds of damage a backup file can have.
const (
	damageNone     damage = iota
	damageChecksum        // a page fails its checksum: 3183 on RESTORE, 3189 on VERIFYONLY
	damageMedia           // the media header is unreadable: 3241
)

// fsFile is a file in a folder. Backup files carry the media family they hold.
type fsFile struct {
	name    string
	size    int64
	modTime time.Time
	family  *mediaFamily
	damage  damage
	partial bool // being written by a BACKUP that has not finished
}

// folder is a directory with its own ACL (nil: inherited from the parent).
type folder struct {
	path   string // display form
	vol    *volume
	acl    map[string]perm
	files  map[string]*fsFile
	parent *folder
}

// fileSystem holds the file server's shares and every machine's local folders.
type fileSystem struct {
	hosts   map[string]string // UNC host alias (lower) -> canonical host (lower)
	folders map[string]*folder
}

func newFileSystem() *fileSystem {
	return &fileSystem{hosts: map[string]string{}, folders: map[string]*folder{}}
}

// normalizePath turns forward slashes into backslashes, folds repeated separators, drops a trailing one and
// surrounding spaces, until nothing changes (so normalizing twice is normalizing once).
func normalizePath(p string) string {
	for i := 0; i <= len(p)+1; i++ {
		q := normalizeOnce(p)
		if q == p {
			return q
		}
		p = q
	}
	return p
}

func normalizeOnce(p string) string {
	p = strings.TrimSpace(strings.ReplaceAll(p, "/", `\`))
	unc := strings.HasPrefix(p, `\\`)
	for strings.Contains(p, `\\`) {
		p = strings.ReplaceAll(p, `\\`, `\`)
	}
	if unc {
		p = `\` + p
	}
	if len(p) > 3 && strings.HasSuffix(p, `\`) {
		p = strings.TrimSuffix(p, `\`)
	}
	return p
}

// key is the map key of a path: UNC paths by canonical host, local paths qualified by machine.
func (fs *fileSystem) key(machine, p string) (string, int) {
	p = normalizePath(p)
	if strings.HasPrefix(p, `\\`) {
		rest := p[2:]
		host, tail, _ := strings.Cut(rest, `\`)
		canon, ok := fs.hosts[strings.ToLower(host)]
		if !ok {
			return "", errNetPath
		}
		return strings.ToLower(`\\` + canon + `\` + tail), errNone
	}
	if len(p) < 2 || p[1] != ':' {
		return "", errPathNotFound
	}
	return strings.ToLower(machine) + "|" + strings.ToLower(p), errNone
}

// addFolder creates a folder (and its missing parents) with the given ACL; vol nil inherits the parent's.
func (fs *fileSystem) addFolder(machine, p string, vol *volume, acl map[string]perm) *folder {
	k, code := fs.key(machine, p)
	if code != errNone {
		return nil
	}
	if f := fs.folders[k]; f != nil {
		if acl != nil {
			f.acl = acl
		}
		return f
	}
	f := &folder{path: normalizePath(p), vol: vol, acl: acl, files: map[string]*fsFile{}}
	if i := strings.LastIndexByte(f.path, '\\'); i > 2 && !isShareRoot(f.path) {
		f.parent = fs.addFolder(machine, f.path[:i], nil, nil)
		if f.vol == nil && f.parent != nil {
			f.vol = f.parent.vol
		}
	}
	if f.vol == nil {
		f.vol = &volume{capacity: defaultShareSpace, free: defaultShareSpace}
	}
	fs.folders[k] = f
	return f
}

// isShareRoot says p is \\host\share.
func isShareRoot(p string) bool {
	if !strings.HasPrefix(p, `\\`) {
		return false
	}
	return strings.Count(p[2:], `\`) == 1
}

// folderOf finds the folder holding p (a file path) and the file name.
func (fs *fileSystem) folderOf(machine, p string) (*folder, string, int) {
	p = normalizePath(p)
	i := strings.LastIndexByte(p, '\\')
	if i < 0 {
		return nil, "", errPathNotFound
	}
	dir, name := p[:i], p[i+1:]
	if strings.HasPrefix(p, `\\`) && strings.Count(p[2:], `\`) < 2 {
		// \\host\share itself: its "folder" is the share, with no file name.
		dir, name = p, ""
	}
	k, code := fs.key(machine, dir)
	if code != errNone {
		return nil, "", code
	}
	f := fs.folders[k]
	if f == nil {
		if strings.HasPrefix(p, `\\`) && isShareRoot(dir) {
			return nil, "", errNetName
		}
		return nil, "", errPathNotFound
	}
	return f, name, errNone
}

// folderAt finds a folder by its own path.
func (fs *fileSystem) folderAt(machine, p string) *folder {
	k, code := fs.key(machine, p)
	if code != errNone {
		return nil
	}
	return fs.folders[k]
}

// allows says account may do want in f (effective ACL: the nearest folder that sets one).
func (f *folder) allows(account string, want perm) bool {
	for x := f; x != nil; x = x.parent {
		if x.acl != nil {
			return x.acl[strings.ToLower(account)]&want == want
		}
	}
	return false
}

// file returns a file by name, case-insensitively.
func (f *folder) file(name string) *fsFile { return f.files[strings.ToLower(name)] }

// put stores a file, replacing one of the same name and adjusting the volume's free space.
func (f *folder) put(file *fsFile) {
	if old := f.files[strings.ToLower(file.name)]; old != nil {
		f.vol.free += old.size
	}
	f.vol.free -= file.size
	f.files[strings.ToLower(file.name)] = file
}

// remove deletes a file and gives its space back.
func (f *folder) remove(name string) {
	if old := f.files[strings.ToLower(name)]; old != nil {
		f.vol.free += old.size
		delete(f.files, strings.ToLower(name))
	}
}

// grow changes a file's size by delta bytes, charging the volume.
func (f *folder) grow(file *fsFile, delta int64) {
	file.size += delta
	f.vol.free -= delta
}

// sortedFiles lists the files by name.
func (f *folder) sortedFiles() []*fsFile {
	keys := make([]string, 0, len(f.files))
	for k := range f.files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*fsFile, len(keys))
	for i, k := range keys {
		out[i] = f.files[k]
	}
	return out
}

// join appends a file name to a folder path.
func joinPath(dir, name string) string {
	return strings.TrimRight(normalizePath(dir), `\`) + `\` + name
}

// fileCheck resolves a file for opening by account; write says it will be created or overwritten.
// It returns the folder, the existing file (nil if absent) and an OS error code.
func (fs *fileSystem) fileCheck(machine, p, account string, write bool) (*folder, *fsFile, string, int) {
	f, name, code := fs.folderOf(machine, p)
	if code != errNone {
		return nil, nil, "", code
	}
	if name == "" {
		// The share root is a directory: opening it as a file is access denied, as on Windows.
		return f, nil, "", errAccessDenied
	}
	if sub := fs.folderAt(machine, p); sub != nil {
		return f, nil, name, errAccessDenied
	}
	want := permRead
	if write {
		want = permWrite
	}
	if !f.allows(account, want) {
		return f, nil, name, errAccessDenied
	}
	file := f.file(name)
	if !write && file == nil {
		return f, nil, name, errFileNotFound
	}
	return f, file, name, errNone
}
