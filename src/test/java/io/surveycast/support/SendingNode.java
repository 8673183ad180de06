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

    @Override
    public void close() throws Exception {
        camel.stop();
        database.close();
    }
}
