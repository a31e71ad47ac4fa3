package org.jpeer.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strings as Go's encoding/json writes them (what the original REST server answered). */
class GoJsonTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "plain text, with 0-9 ~ and space|`\"plain text, with 0-9 ~ and space\"`",
      "`a<b>c&d`|`\"a\\u003cb\\u003ec\\u0026d\"`",
      "`quote\" backslash\\`|`\"quote\\\" backslash\\\\\"`",
      "`x\u2027\u2028\u2029\u202a`|`\"x\u2027\\u2028\\u2029\u202a\"`",
      "`<`|`\"\\u003c\"`",
      "`ü € 中`|`\"ü € 中\"`",
  })
  void escapesAsGo(String in, String out) {
    assertThat(GoJson.quote(in)).isEqualTo(out);
  }

  @org.junit.jupiter.api.Test
  void controlCharactersSurrogatesAndTheFastPath() {
    assertThat(GoJson.quote("a\nb\rc\td")).isEqualTo("\"a\\nb\\rc\\td\"");
    assertThat(GoJson.quote("\u0000\u0001\u001f\u0020")).isEqualTo("\"\\u0000\\u0001\\u001f \"");
    assertThat(GoJson.quote("\u007f")).isEqualTo("\"\u007f\"");
    // a pair stays as it is; a lone surrogate (which Go cannot hold) becomes U+FFFD
    assertThat(GoJson.quote("\ud83d\ude00!")).isEqualTo("\"\ud83d\ude00!\"");
    assertThat(GoJson.quote("a\ud83d")).isEqualTo("\"a\ufffd\"");
    assertThat(GoJson.quote("\ude00b")).isEqualTo("\"\ufffdb\"");
    assertThat(GoJson.quote("\ud83db")).isEqualTo("\"\ufffdb\"");
    assertThat(GoJson.quote("")).isEqualTo("\"\"");
    assertThat(GoJson.quote("abc\u00ff<")).isEqualTo("\"abc\u00ff\\u003c\"");
  }
}
