"""URL routes of the review pages (`urlpatterns`) and API (`api_urlpatterns`)."""

urlpatterns = []

api_urlpatterns = []
