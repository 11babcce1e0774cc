package cox.readers.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.ValueTooLargeException;
import cox.pickle.SafeUnpickler;
import cox.testing.NestedPickles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, finding 4: a 584-byte pickle of 25 nested levels of {@code [a] * 10} (shared
 * references, plain data) expands to 10<sup>25</sup> elements when printed or converted; cox df,
 * cox export and cox sql ran out of memory. {@link ValueExpansion} measures without expanding and
 * {@link CellText} refuses it with the limit named, in this JVM, without running out of memory.
 */
class ValueExpansionTest {
    @Test
    void nestedSharedLists_loadCompactly_butAreRefusedByCheckAndCellText_namingTheLimit() {
        byte[] pickle = NestedPickles.nestedSharedLists(25, 10);
        assertThat(pickle).hasSize(584); // as Python writes it
        Object value = SafeUnpickler.loads(pickle);
        assertThat(value).isInstanceOf(List.class);
        assertThatThrownBy(() -> ValueExpansion.check(value)).isInstanceOf(ValueTooLargeException.class)
                .hasMessage("the value expands to more than 1,000,000 elements (containers, keys and values, a shared one"
                        + " counted each time it is reached, as printing it would), the most cox4j renders or converts");
        assertThatThrownBy(() -> CellText.of(value)).isInstanceOf(ValueTooLargeException.class)
                .hasMessageContaining("more than 1,000,000 elements");
        assertThatThrownBy(() -> CellText.of(Map.of("config", value))).isInstanceOf(ValueTooLargeException.class);
        assertThat(CellText.describe(value)).isEqualTo("list, 10 items");
    }

    @Test
    void aMillionElements_areShown_oneMoreIsRefused() {
        List<Object> list = new ArrayList<>(Collections.nCopies(999_999, 7L)); // the list and its 999,999 items
        ValueExpansion.check(list);
        assertThat(CellText.of(list)).hasSize(3 * 999_999 - 2 + 2);
        list.add(7L);
        assertThatThrownBy(() -> ValueExpansion.check(list)).isInstanceOf(ValueTooLargeException.class)
                .hasMessageContaining("1,000,000 elements");
    }

    @Test
    void sharedReferences_countEachTimeTheyAreReached() {
        List<Object> inner = new ArrayList<>(Collections.nCopies(999, 1L)); // 1,000 elements
        List<Object> outer = new ArrayList<>(Collections.nCopies(999, inner)); // 1 + 999 x 1,000
        ValueExpansion.check(outer);
        outer.add(inner);
        outer.add(inner); // 1 + 1,001 x 1,000 = 1,001,001
        assertThatThrownBy(() -> ValueExpansion.check(outer)).isInstanceOf(ValueTooLargeException.class);
    }

    @Test
    void textLongerThan16MiB_isRefused_namingTheLimit() {
        List<Object> seventeen = Collections.nCopies(17, "x".repeat(1 << 20));
        assertThatThrownBy(() -> ValueExpansion.check(seventeen)).isInstanceOf(ValueTooLargeException.class)
                .hasMessage("the value's text is longer than 16,777,216 characters (16 MiB, shared parts counted each time"
                        + " they are reached), the most cox4j renders or converts");
        // within what check() counts (2^24 - 126 characters), but Python's repr doubles each backslash: CellText
        // refuses as it writes
        List<Object> backslashes = Collections.nCopies(16, "\\".repeat((1 << 20) - 8));
        ValueExpansion.check(backslashes);
        assertThatThrownBy(() -> CellText.of(backslashes)).isInstanceOf(ValueTooLargeException.class)
                .hasMessageContaining("16,777,216 characters");
        List<Object> fifteen = Collections.nCopies(15, "x".repeat(1 << 20));
        assertThat(CellText.of(fifteen)).hasSize(15 * ((1 << 20) + 2) + 14 * 2 + 2);
    }

    @Test
    void aValueThatContainsItself_isRefused() {
        List<Object> self = new ArrayList<>();
        self.add(1L);
        self.add(self);
        assertThatThrownBy(() -> ValueExpansion.check(self)).isInstanceOf(ValueTooLargeException.class)
                .hasMessageStartingWith("the value contains itself");
    }

    @Test
    void dictsTuplesAndSets_countKeysAndValues() {
        Object[] tuple = {1L, "a"};
        ValueExpansion.check(Map.of("k", tuple)); // 1 + key + (1 + 2) = 5
        assertThat(CellText.of(Map.of("k", tuple))).isEqualTo("{'k': (1, 'a')}");
        ValueExpansion.check(12L);
        ValueExpansion.check(null);
    }
}
