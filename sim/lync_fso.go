package sim

import (
	"strconv"
	"strings"

	"pcfailback/pwsh"
)

// fsoTypeName is how PowerShell names a Scripting.FileSystemObject.
const fsoTypeName = "System.__ComObject#{2a0b9d10-4b87-11d3-a97a-00104b365c9f}"

func runNewObject(c *cmdletCall) ([]pwsh.Value, error) {
	if c.b.has("ComObject") {
		prog := c.b.text("ComObject")
		if !strings.EqualFold(prog, "Scripting.FileSystemObject") {
			return nil, c.fail("ResourceUnavailable", "NoCOMClassIdentified", "Retrieving the COM class factory for component with ProgID %s failed due to the following error: 80040154 Class not registered (Exception from HRESULT: 0x80040154 (REGDB_E_CLASSNOTREG)).", prog)
		}
		return []pwsh.Value{&pwsh.Object{TypeName: fsoTypeName, Props: []pwsh.Prop{
			{Name: "Drives", Value: "System.__ComObject"},
		}}}, nil
	}
	if err := c.require("TypeName"); err != nil {
		return nil, err
	}
	return nil, c.fail("InvalidType", "TypeNotFound", "Cannot find type [%s]: verify that the assembly containing this type is loaded.", c.b.text("TypeName"))
}

// adminFolder resolves a UNC path for the Lync administrator (Test-Path, the FileSystemObject).
func (s *Sim) adminFolder(p string) (*folder, string, bool) {
	p = normalizePath(p)
	if !strings.HasPrefix(p, `\\`) {
		return nil, "", false
	}
	if f := s.fs.folderAt("", p); f != nil {
		return f, "", true
	}
	f, name, code := s.fs.folderOf("", p)
	if code != errNone || f == nil {
		return nil, "", false
	}
	return f, name, true
}

// shareRoot finds the share (\\host\share) a UNC path lives on.
func (s *Sim) shareRoot(p string) *folder {
	f, _, ok := s.adminFolder(p)
	if !ok {
		return nil
	}
	for f.parent != nil {
		f = f.parent
	}
	return f
}

func runTestPath(c *cmdletCall) ([]pwsh.Value, error) {
	p := c.b.text("Path")
	if c.b.has("LiteralPath") {
		p = c.b.text("LiteralPath")
	}
	if p == "" {
		return nil, c.require("Path")
	}
	if c.b.flag("IsValid") {
		return []pwsh.Value{true}, nil
	}
	s := c.s
	s.lock()
	defer s.unlock()
	admin := s.topo.LyncAdmin
	kind := strings.ToLower(c.b.text("PathType"))
	f, name, ok := s.adminFolder(p)
	if !ok || !f.allows(admin, permRead) {
		return []pwsh.Value{false}, nil
	}
	if name == "" {
		return []pwsh.Value{kind != "leaf"}, nil
	}
	return []pwsh.Value{f.file(name) != nil && kind != "container"}, nil
}

// fsoMethod implements the FileSystemObject methods the console uses: GetDrive, DriveExists, FolderExists and
// FileExists, as the Lync administrator sees the share.
func (s *Sim) fsoMethod(method string, args []pwsh.Value) (pwsh.Value, error) {
	s.lock()
	defer s.unlock()
	arg := ""
	if len(args) > 0 {
		arg = psText(args[0])
	}
	admin := s.topo.LyncAdmin
	callErr := func(msg string) error {
		return &pwsh.CmdletError{Cmdlet: method, Category: "NotSpecified", ErrorID: "COMException",
			Message: "Exception calling \"" + method + "\" with \"" + strconv.Itoa(len(args)) + "\" argument(s): \"" + msg + "\""}
	}
	switch strings.ToLower(method) {
	case "getdrive":
		if len(args) != 1 {
			return nil, callErr("Invalid procedure call or argument")
		}
		root := s.shareRoot(arg)
		if root == nil || !root.allows(admin, permRead) {
			return nil, callErr("Device unavailable")
		}
		return &pwsh.Object{TypeName: "System.__ComObject#{c7c3f5a0-88a3-11d0-abcb-00a0c90fffc0}", Props: []pwsh.Prop{
			{Name: "Path", Value: root.path}, {Name: "DriveLetter", Value: ""}, {Name: "DriveType", Value: int64(3)},
			{Name: "ShareName", Value: root.path}, {Name: "VolumeName", Value: "Data"}, {Name: "FileSystem", Value: "NTFS"},
			{Name: "IsReady", Value: true}, {Name: "AvailableSpace", Value: max(root.vol.free, 0)},
			{Name: "FreeSpace", Value: max(root.vol.free, 0)}, {Name: "TotalSize", Value: root.vol.capacity},
			{Name: "SerialNumber", Value: int64(1372713912)},
		}}, nil
	case "driveexists":
		root := s.shareRoot(arg)
		return root != nil && root.allows(admin, permRead), nil
	case "folderexists":
		f, name, ok := s.adminFolder(arg)
		return ok && name == "" && f.allows(admin, permRead), nil
	case "fileexists":
		f, name, ok := s.adminFolder(arg)
		return ok && name != "" && f.allows(admin, permRead) && f.file(name) != nil, nil
	}
	return nil, &pwsh.CmdletError{Cmdlet: method, Category: "InvalidOperation", ErrorID: "MethodNotFound",
		Message: "Method invocation failed because [System.__ComObject#{2a0b9d10-4b87-11d3-a97a-00104b365c9f}] does not contain a method named '" + method + "'."}
}
