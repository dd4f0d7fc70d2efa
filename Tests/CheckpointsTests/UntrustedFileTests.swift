import Checkpoints
import Testing

/// A file with the given header text and data bytes.
func file(header: String, data: [UInt8] = []) -> [UInt8] {
  let header = Array(header.utf8)
  var bytes: [UInt8] = []
  var length = UInt64(header.count)
  for _ in 0..<8 {
    bytes.append(UInt8(length & 0xFF))
    length >>= 8
  }
  return bytes + header + data
}

@Suite("Checkpoints: files from strangers are refused, never trusted")
struct UntrustedFileTests {
  let floats: [UInt8] = Array(repeating: 0, count: 8)

  func refusal(_ bytes: [UInt8]) -> CheckpointError? {
    do {
      _ = try SafetensorsFile(decoding: bytes)
      return nil
    } catch {
      return error
    }
  }

  @Test func aValidFileDecodes() throws {
    let decoded = try SafetensorsFile(decoding: file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: floats))
    #expect(decoded.entries.map(\.name) == ["a"])
    #expect(try SafetensorsFile(decoding: decoded.encoded()) == decoded)
  }

  @Test func truncatedFiles() {
    #expect(refusal([]) == .truncated(expected: 8, found: 0))
    #expect(refusal([1, 0, 0]) == .truncated(expected: 8, found: 3))
    #expect(refusal(Array(file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: floats).dropLast(3))) != nil)
  }

  @Test func headerLengthsLargerThanTheFile() {
    #expect(refusal([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) == .headerTooLarge(length: .max, fileSize: 8))
    #expect(refusal([100, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D]) == .headerTooLarge(length: 100, fileSize: 10))
  }

  @Test(arguments: [
    "not json", "[1, 2]", "{", #"{"a": 1"#, #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} trailing"#,
    #"{"a":{"dtype":"F32"}}"#, #"{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}"#,
    #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1}}"#,
    #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
    #"{"__metadata__":{"k":1}}"#, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "\"\\ud800\"", "{\"\u{1}\":1}",
  ])
  func malformedHeaders(header: String) {
    guard case .malformedHeader = refusal(file(header: header, data: floats)) else {
      Issue.record("\(header) was not refused as malformed: \(String(describing: refusal(file(header: header, data: floats))))")
      return
    }
  }

  @Test func unsupportedDataTypes() {
    #expect(refusal(file(header: #"{"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}"#, data: floats)) == .unsupportedDType(key: "a", dtype: "F16"))
  }

  @Test func offsetsAndSizes() {
    let outOfRange = refusal(file(header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: floats))
    #expect(outOfRange == .invalidTensor(key: "a", reason: "data_offsets [0, 16] are outside the 8 bytes of data"))
    let wrongCount = refusal(file(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: floats))
    #expect(wrongCount == .invalidTensor(key: "a", reason: "F32[3] needs 12 bytes, but data_offsets give 8"))
    let negative = refusal(file(header: #"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: floats))
    #expect(negative == .invalidTensor(key: "a", reason: "shape [-2] is negative or too large"))
    let huge = refusal(file(header: #"{"a":{"dtype":"F64","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#, data: floats))
    #expect(huge == .invalidTensor(key: "a", reason: "shape [4611686018427387904, 4] is negative or too large"))
    let backwards = refusal(file(header: #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, data: floats))
    #expect(backwards != nil)
  }

  @Test func overlapsAndHoles() {
    let overlap = refusal(file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: floats))
    #expect(overlap == .invalidLayout("tensor 'b' overlaps the tensor before it"))
    let hole = refusal(file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: floats))
    #expect(hole == .invalidLayout("bytes 0..<4 belong to no tensor"))
    let tail = refusal(file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: floats))
    #expect(tail == .invalidLayout("bytes 4..<8 belong to no tensor"))
  }

  @Test func errorsReadAsSentences() {
    #expect(CheckpointError.headerTooLarge(length: 100, fileSize: 10).description
      == "The checkpoint's header claims 100 bytes, but only 2 bytes follow its length.")
    #expect(CheckpointError.headerTooLarge(length: 100_000_001, fileSize: 100_000_009).description
      == "The checkpoint's header claims 100000001 bytes, more than the 100000000 bytes a safetensors header may have.")
    #expect(CheckpointError.keyMismatch(missing: [".a"], extra: [".b"]).description
      == "The checkpoint does not match the model; missing from the file: .a; not in the model: .b.")
  }
}
