package dev.resilience.sample.simulation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What the simulated mail service received: each message once by its id, with how many times it was delivered.
 * Kept in memory: it starts empty when the application restarts, as the simulation does.
 */
@Component
public class SimulatedMailbox {

    /** One message as received. */
    public record Message(String id, String to, String text, int deliveries) {
    }

    private final Map<String, Message> messages = new LinkedHashMap<>();

    /** Receives a message; a second delivery of the same id is counted, not added. */
    public synchronized void receive(String id, String to, String text) {
        messages.merge(id, new Message(id, to, text, 1),
                (old, again) -> new Message(old.id(), old.to(), old.text(), old.deliveries() + 1));
    }

    /** {@code delivered}: messages received; {@code duplicates}: deliveries beyond the first of each. */
    public synchronized Map<String, Object> summary() {
        List<Message> all = new ArrayList<>(messages.values());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("delivered", all.size());
        summary.put("duplicates", all.stream().mapToInt(message -> message.deliveries() - 1).sum());
        summary.put("messages", all);
        return summary;
    }
}
