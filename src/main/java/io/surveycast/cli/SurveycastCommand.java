package io.surveycast.cli;

import picocli.CommandLine.Command;

@Command(name = "surveycast",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Sends NPS surveys by email and SMS on lifecycle schedules, collects answers, reports NPS.",
        subcommands = {ServeCommand.class, DemoCommand.class, MigrateCommand.class, ContactsCommand.class, CampaignsCommand.class,
                PlanCommand.class, ForecastCommand.class, RunDueCommand.class,
                MessagesCommand.class, ReportCommand.class, ResponsesCommand.class, UsersCommand.class, ThemesCommand.class,
                CasesCommand.class, SharesCommand.class, DigestsCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 runtime failure, 2 invalid input or usage."})
final class SurveycastCommand {
}
