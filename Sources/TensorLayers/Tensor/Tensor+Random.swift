import RandomKeys

extension Tensor {
  /// A tensor drawn as `jax.random.uniform(key, shape, float32, minimum, maximum)`: the same
  /// numbers, bit for bit.
  ///
  /// - Throws: `TensorError.invalidShape` for a negative dimension, and
  ///   `TensorError.random` for bounds that are not finite with `minimum <= maximum`.
  public static func uniform(
    _ shape: [Int], key: RandomKey, minimum: Float = 0, maximum: Float = 1
  ) throws(TensorError) -> Tensor {
    _ = try elementCount(shape)
    do {
      return Tensor(uncheckedShape: shape, scalars: try key.uniform(shape: shape, minimum: minimum, maximum: maximum))
    } catch {
      throw .random(error)
    }
  }

  /// A tensor drawn as `jax.random.normal(key, shape, float32)`.
  ///
  /// - Throws: `TensorError.invalidShape` for a negative dimension.
  public static func normal(_ shape: [Int], key: RandomKey) throws(TensorError) -> Tensor {
    _ = try elementCount(shape)
    do {
      return Tensor(uncheckedShape: shape, scalars: try key.normal(shape: shape))
    } catch {
      throw .random(error)
    }
  }
}
