import Foundation

/// Text made safe for HTML: every character that could open markup, end an attribute or start
/// an entity is written as an entity, so that names and values from a model never become
/// markup, whatever they hold.
func escaped(_ text: String) -> String {
  var result = ""
  result.reserveCapacity(text.utf8.count)
  for character in text.unicodeScalars {
    switch character {
    case "&": result += "&amp;"
    case "<": result += "&lt;"
    case ">": result += "&gt;"
    case "\"": result += "&quot;"
    case "'": result += "&#39;"
    case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": result += "&#xFFFD;"
    default: result.unicodeScalars.append(character)
    }
  }
  return result
}

/// `text` cut to `limit` characters, with an ellipsis when cut.
func truncated(_ text: String, limit: Int = 160) -> String {
  text.count <= limit ? text : String(text.prefix(limit)) + "…"
}

/// A number as the page shows it: 4 significant digits.
func formatted(_ value: Double) -> String {
  if value.isNaN { return "NaN" }
  if value.isInfinite { return value > 0 ? "inf" : "-inf" }
  if value == 0 { return "0" }
  let magnitude = abs(value)
  if magnitude >= 1e5 || magnitude < 1e-3 {
    return String(format: "%.3e", value)
  }
  return String(format: "%.4g", value)
}

/// The page around `body`: one file, its style inline, no scripts, no resources from elsewhere.
func page(title: String, body: String) -> String {
  """
  <!DOCTYPE html>
  <html lang="en">
  <head>
  <meta charset="utf-8">
  <title>\(escaped(title))</title>
  <style>
  body { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: 16px; color: #222; }
  h1 { font-size: 16px; } h2 { font-size: 14px; margin-top: 24px; }
  details { margin-left: 14px; } summary { cursor: pointer; }
  .field { color: #555; } .type { color: #7a3e9d; } .key { color: #0b6e4f; } .note { color: #888; }
  .slot { border-radius: 3px; padding: 0 4px; } .handler { border-left: 4px solid; padding-left: 4px; }
  .value { margin: 2px 0 8px 14px; } .stats { color: #444; }
  .changed { background: #fff3c4; } .folded { color: #888; font-style: italic; }
  table { border-collapse: collapse; } td, th { padding: 2px 8px; text-align: left; vertical-align: top; }
  tr:nth-child(even) { background: #f6f6f6; }
  svg { vertical-align: middle; }
  </style>
  </head>
  <body>
  \(body)
  </body>
  </html>

  """
}
