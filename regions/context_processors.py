def region_context(request):
    return {
        "current_region": getattr(request, "region", None),
        "access": getattr(request, "access", None),
    }
