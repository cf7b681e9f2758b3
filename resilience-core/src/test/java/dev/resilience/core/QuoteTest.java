package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuoteTest {

    @Test
    void quotesAShortValueWhole() {
        assertThat(Quote.quoted("150")).isEqualTo("'150'");
        assertThat(Quote.quoted(1.5)).isEqualTo("'1.5'");
        assertThat(Quote.quoted(null)).isEqualTo("'null'");
        assertThat(Quote.quoted("y".repeat(Quote.MAX_LENGTH))).isEqualTo("'" + "y".repeat(100) + "'");
    }

    @Test
    void quotesTheFirstHundredCharactersOfALongValueAndItsLength() {
        String huge = "x".repeat(1 << 20);

        assertThat(Quote.quoted(huge)).isEqualTo("'" + "x".repeat(100) + "… (1048576 characters)'");
        assertThat(Quote.shortened(huge)).isEqualTo("x".repeat(100) + "… (1048576 characters)");
        assertThat(Quote.shortened("y".repeat(101))).isEqualTo("y".repeat(100) + "… (101 characters)");
    }

    @Test
    void shortensTheTextOfAnyValue() {
        assertThat(Quote.shortened(List.of("z".repeat(200)))).isEqualTo("[" + "z".repeat(99)
                + "… (202 characters)");
    }

    @Test
    void neverSplitsACharacterOutsideTheBasicPlane() {
        String value = "a".repeat(99) + "😀".repeat(10);

        assertThat(Quote.shortened(value)).isEqualTo("a".repeat(99) + "… (119 characters)");
    }
}
