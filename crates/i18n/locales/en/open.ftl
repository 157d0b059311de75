## Open answers: reading by group, a codebook per question and coding.
open-title = Open answers
open-link = Open answers, grouped into themes
open-intro = What people wrote in the open questions, and the themes they are grouped into. Only groups of at least { $k } valid responses are shown.
open-questions = Open questions
open-question-count = { $answers ->
    [one] 1 answer
   *[other] { $answers } answers
}
open-summary = { $answers ->
    [one] 1 answer
   *[other] { $answers } answers
} to this question, from { $respondents } participants with a valid response in the group; { $coded ->
    [one] 1 has
   *[other] { $coded } have
} at least one theme.
open-too-small = This group has fewer than { $k } valid responses in this campaign (or is hidden together with another small group): its open answers are not shown, so that nobody can be identified.
open-nothing = No answer matches the search.
open-filters = Filters
open-search = Search the answers
open-all-regions = All regions within your reach
open-all-networks = All networks within your reach
open-any-theme = Any theme
open-uncoded = No theme
open-col-n = No.
open-col-answer = Answer
open-col-themes = Themes
open-small-group = small group
open-assign = Assign
open-assign-label = Theme for answer { $n }
open-remove = Remove
open-remove-label = Remove the theme “{ $theme }” from answer { $n }
open-export = Download the answers (CSV)
open-counts = Answers by theme
open-counts-overall = Total
open-counts-respondents = Participants
open-counts-answers = Answers
open-counts-coded = With a theme
open-counts-suppressed = Regions with fewer than { $k } valid responses are not shown; when only one would be, the next smallest is hidden too, so that it cannot be worked out from the total.
open-codebook = Codebook
open-codebook-empty = This question has no themes yet.
open-theme-new = New theme
open-theme-edit = Edit the theme
open-theme-delete = Delete
open-theme-delete-label = Delete the theme “{ $theme }” and remove it from every answer
open-theme-code = Code
open-theme-label-es = Name in Spanish
open-theme-label-en = Name in English
open-theme-description = Description (optional)
