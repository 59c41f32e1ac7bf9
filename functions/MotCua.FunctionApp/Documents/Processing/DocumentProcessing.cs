using MotCua.FunctionApp.Documents.Signatures;
using MotCua.FunctionApp.Documents.Text;
using MotCua.FunctionApp.Hosting;

namespace MotCua.FunctionApp.Documents.Processing;

public static class DocumentProcessing
{
    /// <summary>The document steps, one queue each: signatures, text, index, outcome.</summary>
    public static IServiceCollection AddDocumentProcessing(this IServiceCollection services)
    {
        services.AddOptions<SignatureOptions>().BindConfiguration(SignatureOptions.Section);
        services.AddOptions<TextOptions>().BindConfiguration(TextOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TrustStore>();
        services.AddSingleton<DocumentSignatureVerifier>();
        services.AddSingleton<TesseractOcr>();
        services.AddSingleton<OfficeTextReader>();
        services.AddSingleton<ScannedPageImages>();
        services.AddSingleton<DocumentTextReader>();
        services.AddSingleton<DocumentSteps>();
        services.AddQueueFunction<DocumentStepMessage, VerifySignaturesFunction>(VerifySignaturesFunction.Declaration);
        services.AddQueueFunction<DocumentStepMessage, ReadTextFunction>(ReadTextFunction.Declaration);
        services.AddQueueFunction<DocumentStepMessage, IndexDocumentFunction>(IndexDocumentFunction.Declaration);
        services.AddQueueFunction<DocumentStepMessage, RecordOutcomeFunction>(RecordOutcomeFunction.Declaration);
        return services;
    }
}
