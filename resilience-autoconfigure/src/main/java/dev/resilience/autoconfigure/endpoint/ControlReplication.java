package dev.resilience.autoconfigure.endpoint;

import dev.resilience.autoconfigure.control.ControlChange;
import dev.resilience.autoconfigure.control.ControlStore;
import dev.resilience.core.Timing;
import java.time.Instant;
import java.util.Comparator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.ResponseEntity;

/**
 * Applies the control store's changes to this application through {@link ResilienceEndpointWriteHandler#replay}:
 * at startup, once every bean has its configuration from {@code application.yml}, the stored changes (oldest
 * first); afterwards each change that arrives from another application.
 */
public final class ControlReplication implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ControlReplication.class);

    private final ControlStore store;
    private final ResilienceEndpointWriteHandler writes;
    private final Timing timing;
    private volatile boolean running;

    public ControlReplication(ControlStore store, ResilienceEndpointWriteHandler writes, Timing timing) {
        this.store = store;
        this.writes = writes;
        this.timing = timing;
    }

    @Override
    public void start() {
        Instant now = timing.clock().instant();
        store.changes().stream().filter(change -> !change.expiredAt(now))
                .sorted(Comparator.comparing(ControlChange::at)).forEach(this::apply);
        store.subscribe(this::apply);
        running = true;
    }

    private void apply(ControlChange change) {
        ResponseEntity<Object> answer = writes.replay(change);
        if (!answer.getStatusCode().is2xxSuccessful()) {
            // e.g. a breaker or mode that this application does not have: the change is not for it
            log.warn("Control change {} from {} not applied here: {}", change.key(), change.writer(),
                    answer.getBody());
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
