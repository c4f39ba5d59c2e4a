package io.netform.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class NameFileObjectTest {

  private static NameFileObject hosts(String content) {
    return new NameFileObject("web", NameFileObject.Kind.HOSTS, content, Owner.container("web"));
  }

  @Test
  void commentsAndRunsOfWhiteSpaceCarryNoMeaning() {
    NameFileObject written = hosts("# netform\n127.0.0.1\tlocalhost\n10.0.0.2 web\n");
    NameFileObject edited = hosts("# netform\n# a note by hand\n127.0.0.1    localhost  \n\n10.0.0.2 web");
    assertEquals(written, edited);
    assertEquals(written.hashCode(), edited.hashCode());
    assertEquals("127.0.0.1 localhost; 10.0.0.2 web", NameFileObject.meaning(edited.content()));
  }

  @Test
  void anyOtherChangeIsADifference() {
    assertNotEquals(hosts("127.0.0.1 localhost\n10.0.0.2 web\n"), hosts("127.0.0.1 localhost\n10.0.0.3 web\n"));
    assertNotEquals(hosts("10.0.0.2 web\n"), hosts("10.0.0.2 we b\n"));
  }
}
