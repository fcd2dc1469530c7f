namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>
/// The module's tables as its model creates them (EF Core <c>GenerateCreateScript()</c>), so the
/// end-to-end tests can seed settings and rules before the daemon starts. The module's unit tests
/// compile this file too and fail when the model and this script part ways.
/// </summary>
internal static class BlackListSchema
{
    public const string CreateScript = """
        CREATE TABLE "m_BlackListCalls" (
            "Id" INTEGER NOT NULL CONSTRAINT "PK_m_BlackListCalls" PRIMARY KEY AUTOINCREMENT,
            "At" TEXT NOT NULL,
            "Number" TEXT NOT NULL,
            "Normalized" TEXT NOT NULL,
            "Did" TEXT NOT NULL,
            "RuleId" INTEGER NULL,
            "Reason" TEXT NOT NULL,
            "Action" TEXT NOT NULL,
            "Channel" TEXT NOT NULL,
            "UniqueId" TEXT NOT NULL
        );


        CREATE TABLE "m_BlackListNumbers" (
            "Id" INTEGER NOT NULL CONSTRAINT "PK_m_BlackListNumbers" PRIMARY KEY AUTOINCREMENT,
            "Number" TEXT NOT NULL,
            "Normalized" TEXT NOT NULL,
            "IsPrefix" INTEGER NOT NULL,
            "Kind" TEXT NOT NULL,
            "Description" TEXT NOT NULL,
            "Enabled" INTEGER NOT NULL,
            "CreatedAt" TEXT NOT NULL,
            "ExpiresAt" TEXT NULL,
            "Scope" TEXT NOT NULL,
            "HitCount" INTEGER NOT NULL,
            "LastHitAt" TEXT NULL,
            "Source" TEXT NOT NULL
        );


        CREATE TABLE "m_BlackListSettings" (
            "Id" INTEGER NOT NULL CONSTRAINT "PK_m_BlackListSettings" PRIMARY KEY AUTOINCREMENT,
            "Json" TEXT NOT NULL
        );


        CREATE INDEX "IX_m_BlackListCalls_At" ON "m_BlackListCalls" ("At");


        CREATE INDEX "IX_m_BlackListCalls_Normalized" ON "m_BlackListCalls" ("Normalized");


        CREATE INDEX "IX_m_BlackListNumbers_ExpiresAt" ON "m_BlackListNumbers" ("ExpiresAt");


        CREATE INDEX "IX_m_BlackListNumbers_Normalized_IsPrefix_Kind" ON "m_BlackListNumbers" ("Normalized", "IsPrefix", "Kind");
        """;
}
