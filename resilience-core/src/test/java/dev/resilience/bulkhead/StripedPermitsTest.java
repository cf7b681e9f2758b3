package dev.resilience.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.Concurrently;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StripedPermitsTest {

    @Test
    void oneCellPerCoreWhileEachStartsWithTwoSlots() {
        assertThat(StripedPermits.cellsFor(25, 2)).isEqualTo(2);
        assertThat(StripedPermits.cellsFor(25, 8)).isEqualTo(8);
        assertThat(StripedPermits.cellsFor(25, 12)).isEqualTo(8);
        assertThat(StripedPermits.cellsFor(1000, 64)).isEqualTo(16);
        assertThat(StripedPermits.cellsFor(3, 8)).isEqualTo(1);
        assertThat(StripedPermits.cellsFor(1, 1)).isEqualTo(1);
    }

    @Test
    void aThreadFindsSlotsInOtherCellsAndAllSlotsAreUsable() {
        StripedPermits permits = new StripedPermits(5, 4);

        for (int i = 0; i < 5; i++) {
            assertThat(permits.take()).as("slot %d of 5", i + 1).isTrue();
        }
        assertThat(permits.take()).isFalse();
        assertThat(permits.available()).isZero();

        permits.give();
        assertThat(permits.available()).isEqualTo(1);
        assertThat(permits.take()).isTrue();
    }

    @Test
    void loweringTheLimitBelowTheCallsInsideIsPaidBackByTheirReturns() {
        StripedPermits permits = new StripedPermits(8, 4);
        for (int i = 0; i < 6; i++) {
            permits.take();
        }

        permits.adjust(-6);

        assertThat(permits.available()).isZero();
        assertThat(permits.take()).as("6 inside, limit 2").isFalse();
        for (int i = 0; i < 4; i++) {
            permits.give();
            assertThat(permits.take()).as("still %d inside", 5 - i).isFalse();
        }
        permits.give();
        assertThat(permits.available()).isEqualTo(1);
        permits.adjust(+3);
        assertThat(permits.available()).isEqualTo(4);
    }

    @Test
    void raisingTheLimitPaysDebtFirst() {
        StripedPermits permits = new StripedPermits(4, 2);
        for (int i = 0; i < 4; i++) {
            permits.take();
        }
        permits.adjust(-3);

        permits.adjust(+2);

        assertThat(permits.available()).isZero();
        assertThat(permits.take()).as("4 inside, limit 3").isFalse();
        permits.give();
        permits.give();
        assertThat(permits.available()).isEqualTo(1);
    }

    @Test
    void neverLetsMoreThanTheLimitInAcrossCellsUnderManyThreads() throws Exception {
        StripedPermits permits = new StripedPermits(8, 4);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();
        Concurrently.run(12, 60, thread -> {
            for (int i = 0; i < 20_000; i++) {
                if (permits.take()) {
                    admitted.incrementAndGet();
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    inside.decrementAndGet();
                    permits.give();
                }
            }
        });

        assertThat(mostInside.get()).isBetween(1, 8);
        assertThat(admitted.get()).isPositive();
        assertThat(permits.available()).as("every slot came back").isEqualTo(8);
    }
}
