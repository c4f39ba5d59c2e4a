package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** docs/format.md documents exactly the keys of the schema, and exactly the accepted Docker options. */
class FormatDocTest {

  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE);

  @Test
  void everySchemaKeyIsDocumentedAndNothingElse() throws IOException {
    String doc = Files.readString(RepoFiles.root().resolve("docs/format.md"));
    int optionsStart = doc.indexOf("### Docker driver options");
    int optionsEnd = doc.indexOf("\n## ", optionsStart);
    String options = doc.substring(optionsStart, optionsEnd);
    String keys = doc.substring(0, optionsStart) + doc.substring(optionsEnd);
    Set<String> documented = firstColumn(keys);
    Set<String> documentedOptions = firstColumn(options);
    Set<String> schemaKeys = new TreeSet<>();
    collect(SchemaCheck.schemaNode(), schemaKeys);
    assertEquals(schemaKeys, documented, "keys in docs/format.md tables vs keys in the schema");
    assertEquals(new TreeSet<>(io.netform.desired.load.DriverOptionsView.keys()), documentedOptions,
        "driver options in docs/format.md vs the options netform accepts");
  }

  private static Set<String> firstColumn(String markdown) {
    Set<String> out = new TreeSet<>();
    Matcher m = ROW.matcher(markdown);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static void collect(JsonNode schema, Set<String> out) {
    if (schema.isObject()) {
      JsonNode props = schema.get("properties");
      if (props != null && props.isObject()) {
        out.addAll(props.propertyNames());
      }
      schema.values().forEach(v -> collect(v, out));
    } else if (schema.isArray()) {
      schema.values().forEach(v -> collect(v, out));
    }
  }
}
