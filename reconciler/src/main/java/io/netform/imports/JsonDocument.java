package io.netform.imports;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON file read into a tree, with the line and column of every value, so that a value of the
 * wrong type is reported where it is written (Jackson's tree keeps no locations, hence a first pass
 * over the tokens that records them by JSON pointer).
 */
public final class JsonDocument {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final String file;
  private final JsonNode root;
  private final Map<String, String> places;

  private JsonDocument(String file, JsonNode root, Map<String, String> places) {
    this.file = file;
    this.root = root;
    this.places = places;
  }

  /** Reads {@code text}; text that is not JSON is an {@link ImportError} naming its line and column. */
  public static JsonDocument parse(String file, String text) {
    Map<String, String> places = new HashMap<>();
    try (JsonParser parser = MAPPER.createParser(text)) {
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        if (t == JsonToken.PROPERTY_NAME || t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          continue; // a value's place is where the value starts, not its key
        }
        TokenStreamContext context = parser.streamReadContext();
        // a container's own context has just begun: its path is its parent's
        boolean opens = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY;
        TokenStreamContext owner = opens && context.getParent() != null ? context.getParent() : context;
        places.putIfAbsent(owner.pathAsPointer().toString(), place(parser.currentTokenLocation()));
      }
      return new JsonDocument(file, MAPPER.readTree(text), places);
    } catch (JacksonException e) {
      TokenStreamLocation at = e.getLocation();
      String where = at == null ? "" : place(at) + ": ";
      throw new ImportError(file + ":" + where + "not JSON: " + firstLine(e.getOriginalMessage()));
    }
  }

  private static String place(TokenStreamLocation at) {
    return at.getLineNr() + ":" + at.getColumnNr();
  }

  private static String firstLine(String message) {
    String m = message == null ? "unreadable" : message;
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline);
  }

  public String file() {
    return file;
  }

  public JsonValue root() {
    return new JsonValue(this, root, "");
  }

  /** {@code file:line:column} of the value at {@code pointer}, or of its nearest ancestor. */
  String at(String pointer) {
    String p = pointer;
    while (true) {
      String place = places.get(p);
      if (place != null) {
        return file + ":" + place;
      }
      if (p.isEmpty()) {
        return file + ":1:1";
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }
}
