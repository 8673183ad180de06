package io.surveycast.support;

import io.surveycast.App;
import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import io.surveycast.dispatch.Dispatcher;
import java.time.Clock;
import org.apache.camel.main.Main;

/** A dispatching node as run-due starts one: the send routes, the configured channels and a dispatcher. */
public final class SendingNode implements AutoCloseable {
    private final Database database;
    private final Main camel;

    public SendingNode(Settings settings, Clock clock) throws Exception {
        this.database = Database.open(settings, 20);
        this.camel = App.sender(settings, database, clock);
        camel.start();
    }

    public Dispatcher dispatcher() {
        return camel.getCamelContext().getRegistry().lookupByNameAndType("dispatcher", Dispatcher.class);
    }

    /**
     * Dies as a process killed with SIGKILL would, as far as the database can tell: its
     * connections are cut first, so it renews, releases and records nothing more; then its
     * threads stop (requests already on the wire finish at the provider, unrecorded).
     */
    public void kill() {
        database.close();
        dispatcher().close();
    }

    @Override
    public void close() throws Exception {
        camel.stop();
        database.close();
    }
}
