import Checkpoints
import ExplicitState

#if canImport(Glibc)
  import Glibc
#endif

/// A state to load fuzzed files against: the names and types the seed corpus uses.
let reference: State? = {
  var builder = StateBuilder()
  builder.append([Float](repeating: 0, count: 2), for: StateKey(parsing: ".a"))
  builder.append(Float(0), for: StateKey(parsing: ".b"))
  return try? builder.build()
}()

/// One fuzzing input: arbitrary bytes decoded as a safetensors file. Whatever decodes must
/// encode back to a file that decodes equal, and loading it against a state must succeed or
/// throw; a crash, a leak or an allocation past libFuzzer's limit is a bug.
///
/// Exported under the name libFuzzer's driver looks for.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCheckpointReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  guard let file = try? SafetensorsFile(decoding: bytes) else { return 0 }
  guard let reencoded = try? SafetensorsFile(decoding: file.encoded()), reencoded == file else {
    preconditionFailure("a decoded file did not survive encoding and decoding again")
  }
  if let reference {
    _ = try? file.state(matching: reference)
  }
  return 0
}

/// libFuzzer's driver, which `-sanitize=fuzzer` links: it parses libFuzzer's options and runs
/// the callback on each input. Calling it from our own `main` keeps SwiftPM's entry point.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argumentCount = CommandLine.argc
var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argumentCount, &arguments) { data, size in fuzzCheckpointReader(data, size) })
