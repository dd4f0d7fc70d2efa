#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The system's text for `code`, such as "Permission denied".
func systemMessage(_ code: Int32) -> String {
  String(cString: strerror(code))
}

/// The system's `write`, which the writer's own `write` hides.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}

/// A checkpoint file open for reading: its size, and reads at any offset.
struct FileReader: ~Copyable {
  let path: String
  let descriptor: Int32
  /// The file's size in bytes.
  let size: Int

  /// Opens the regular file at `path`.
  ///
  /// - Throws: `CheckpointError.io` when there is no such file, it cannot be opened, or it is
  ///   not a regular file (a folder, a device such as `/dev/zero`, a pipe).
  init(path: String) throws(CheckpointError) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let code = errno
      throw .io(path: path, reason: code == ENOENT ? "there is no such file" : "it cannot be opened: \(systemMessage(code))")
    }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      let code = errno
      close(descriptor)
      throw .io(path: path, reason: "its size cannot be read: \(systemMessage(code))")
    }
    guard status.st_mode & S_IFMT == S_IFREG else {
      close(descriptor)
      throw .io(path: path, reason: "it is not a regular file")
    }
    self.path = path
    self.descriptor = descriptor
    self.size = Int(status.st_size)
  }

  deinit { close(descriptor) }

  /// Fills `buffer` with the file's bytes from `offset` on.
  ///
  /// - Throws: `CheckpointError.io` when the read fails, and `CheckpointError.truncated` when
  ///   the file ends first (it shrank since it was opened).
  func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(CheckpointError) {
    var done = 0
    while done < buffer.count {
      guard let base = buffer.baseAddress else { return }
      let count = pread(descriptor, base + done, buffer.count - done, off_t(offset + done))
      if count < 0 {
        if errno == EINTR { continue }
        throw .io(path: path, reason: "it cannot be read: \(systemMessage(errno))")
      }
      guard count > 0 else { throw .truncated(expected: offset + buffer.count, found: offset + done) }
      done += count
    }
  }

  /// The `count` bytes from `offset` on.
  func bytes(at offset: Int, count: Int) throws(CheckpointError) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    try withMutableBytes(of: &bytes) { (buffer) throws(CheckpointError) in try read(at: offset, into: buffer) }
    return bytes
  }
}

/// Writes a file atomically: into a temporary file beside the target, then renamed over it,
/// so that a crash or a kill mid-write leaves the previous file, never a broken one.
///
/// The temporary file is `.NAME.partial` in the target's folder. A save that was killed leaves
/// it behind; the next save to the same target removes it first, so leftovers never pile up.
/// Two saves to one target at the same time are not supported. The new file has the replaced
/// file's permissions, or the umask's for a new one.
///
/// A target that is a symbolic link is written through: the file the link points to is
/// replaced and the link stays, as `cp` and editors do. A target without write permission is
/// refused unless the caller asks to replace it.
final class AtomicFileWriter {
  /// The path the caller gave, for messages.
  let path: String
  /// The file that will be replaced: `path` with its symbolic links followed.
  let target: String
  let temporary: String
  let descriptor: Int32
  /// Bytes waiting to be written, so that small values do not each cost a system call.
  private var pending: [UInt8] = []
  /// Whether the file replaced the target, so that there is nothing to clean up.
  private var committed = false
  /// The bytes written so far, and how many of them the system was asked to start writing to
  /// the disk.
  private var written = 0
  private var flushedAhead = 0
  /// How far the file runs ahead of the disk before the system is asked to catch up.
  private static let writeAhead = 8 << 20
  private static let bufferSize = 1 << 20

  /// Opens the temporary file for a new version of `path`, of `size` bytes.
  ///
  /// - Throws: `CheckpointError.io` when the folder does not exist, the target is not a regular
  ///   file or is read-only (unless `replacingReadOnlyFile`), or the temporary file cannot be
  ///   made.
  init(path: String, size: Int, replacingReadOnlyFile: Bool) throws(CheckpointError) {
    let target = try Self.resolvingLinks(path)
    let folderEnd = target.lastIndex(of: "/")
    let folder = folderEnd.map { String(target[..<$0]) } ?? "."
    let name = folderEnd.map { String(target[target.index(after: $0)...]) } ?? target
    guard !name.isEmpty else { throw .io(path: path, reason: "it names a folder, not a file") }
    var status = stat()
    guard stat(folder.isEmpty ? "/" : folder, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
      throw .io(path: path, reason: "its folder does not exist")
    }
    var existingMode: mode_t?
    if lstat(target, &status) == 0 {
      guard status.st_mode & S_IFMT == S_IFREG else { throw .io(path: path, reason: "it exists and is not a regular file") }
      guard replacingReadOnlyFile || status.st_mode & 0o222 != 0 else {
        throw .io(path: path, reason: "it is read-only; pass replacingReadOnlyFile: true to replace it")
      }
      existingMode = status.st_mode & 0o7777
    }
    let temporary = (folderEnd == nil ? "" : folder + "/") + "." + name + ".partial"
    // A killed save's temporary file goes; the new one is made afresh, so that it takes the
    // process's umask (or, below, the replaced file's mode), never a leftover's.
    unlink(temporary)
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o666)
    guard descriptor >= 0 else {
      throw .io(path: path, reason: "its temporary file \(temporary) cannot be made: \(systemMessage(errno))")
    }
    if let existingMode { fchmod(descriptor, existingMode) }
    // The file takes its final size at once, so that the file system can lay out its blocks.
    _ = ftruncate(descriptor, off_t(size))
    self.path = path
    self.target = target
    self.temporary = temporary
    self.descriptor = descriptor
  }

  /// `path` with every symbolic link along its last component followed.
  private static func resolvingLinks(_ path: String) throws(CheckpointError) -> String {
    var current = path
    for _ in 0..<40 {
      var status = stat()
      guard lstat(current, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return current }
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let count = readlink(current, &buffer, Int(PATH_MAX))
      guard count > 0 else { throw .io(path: path, reason: "its link cannot be read: \(systemMessage(errno))") }
      let destination = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if destination.hasPrefix("/") {
        current = destination
      } else if let slash = current.lastIndex(of: "/") {
        current = String(current[...slash]) + destination
      } else {
        current = destination
      }
    }
    throw .io(path: path, reason: "its symbolic links go round in a loop")
  }

  /// Appends `bytes` to the file.
  ///
  /// - Throws: `CheckpointError.io` when the write fails.
  func write(_ bytes: UnsafeRawBufferPointer) throws(CheckpointError) {
    if pending.count + bytes.count <= Self.bufferSize {
      pending.append(contentsOf: bytes)
      return
    }
    try flush()
    if bytes.count < Self.bufferSize {
      pending.append(contentsOf: bytes)
    } else {
      try writeAll(bytes)
    }
  }

  /// Writes what is pending.
  private func flush() throws(CheckpointError) {
    guard !pending.isEmpty else { return }
    let bytes = pending
    pending.removeAll(keepingCapacity: true)
    try withBytes(of: bytes) { (buffer) throws(CheckpointError) in try writeAll(buffer) }
  }

  private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(CheckpointError) {
    var done = 0
    while done < bytes.count, let base = bytes.baseAddress {
      let count = systemWrite(descriptor, base + done, bytes.count - done)
      if count < 0 {
        if errno == EINTR { continue }
        throw .io(path: path, reason: "it cannot be written: \(systemMessage(errno))")
      }
      done += count
    }
    written += bytes.count
    startWritingToDisk()
  }

  /// Asks the system to start writing what the file holds so far to the disk, without
  /// waiting, so that the disk works while the rest is written and the final `fsync` has
  /// little left. (Linux starts the writeback of dirty pages for `POSIX_FADV_DONTNEED`, and
  /// drops only pages already clean.)
  // Measured in Guides/Performance.md: a save of 256 MiB takes about a sixth less time.
  private func startWritingToDisk(all: Bool = false) {
    #if os(Linux)
      guard all || written - flushedAhead >= Self.writeAhead else { return }
      _ = posix_fadvise(descriptor, off_t(flushedAhead), off_t(written - flushedAhead), POSIX_FADV_DONTNEED)
      flushedAhead = written
    #endif
  }

  /// Writes what is pending, flushes the file to the disk, and renames it over the target.
  ///
  /// - Throws: `CheckpointError.io` when any step fails; the target is then unchanged.
  func commit() throws(CheckpointError) {
    try flush()
    startWritingToDisk(all: true)
    releaseCachedTarget()
    guard fsync(descriptor) == 0 else { throw .io(path: path, reason: "it cannot be flushed to the disk: \(systemMessage(errno))") }
    guard rename(temporary, target) == 0 else {
      throw .io(path: path, reason: "the new file cannot replace it: \(systemMessage(errno))")
    }
    committed = true
  }

  /// Lets the system drop the file being replaced from its cache, while the disk writes the
  /// new one: the rename would otherwise free those pages after the `fsync`, one after the
  /// other. The old file's contents stay as they are until the rename.
  private func releaseCachedTarget() {
    #if os(Linux)
      let old = open(target, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
      guard old >= 0 else { return }
      _ = posix_fadvise(old, 0, 0, POSIX_FADV_DONTNEED)
      close(old)
    #endif
  }

  /// Closes the file, and removes it unless it replaced the target: a failed save leaves the
  /// target unchanged and nothing beside it.
  deinit {
    close(descriptor)
    if !committed { unlink(temporary) }
  }
}
