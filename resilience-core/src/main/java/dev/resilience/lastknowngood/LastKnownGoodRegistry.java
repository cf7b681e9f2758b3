package dev.resilience.lastknowngood;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Timing;
import java.util.function.Function;

/** The application's last-known-good instances by name, each created with its store on first request. */
public final class LastKnownGoodRegistry extends InstanceRegistry<LastKnownGood> {

    /** @param stores opens each instance's store (a cache of the application's or of the starter's) */
    public LastKnownGoodRegistry(Function<String, LastKnownGoodConfig> configurations, AnswerStore.Factory stores,
            Timing timing) {
        super(name -> {
            LastKnownGoodConfig config = configurations.apply(name);
            return new LastKnownGood(name, config, stores.open(name, config), timing);
        });
    }
}
