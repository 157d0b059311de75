import-summary = { $inserted } inserted, { $updated } updated, { $unchanged } unchanged
csv-empty = the file is empty
csv-malformed = the CSV file is malformed (unclosed quotes or invalid characters)
csv-missing-column = the column is missing
import-title = Import into the registry
import-intro = Upload a CSV file. You will first see a preview with every problem found; nothing is saved until you confirm.
import-kind = File type
import-kind-schools = Schools (MINEDUC Directorio Oficial)
import-kind-networks = Networks and their schools (network, rbd, from_year, to_year)
import-kind-people = People and roles (name, email, rbd or network, role, from_year)
import-file = CSV file
import-preview = Preview
import-preview-title = Import preview
import-errors-title = { $count ->
    [one] 1 problem found. Fix the file and upload it again; nothing was saved.
   *[other] { $count } problems found. Fix the file and upload it again; nothing was saved.
}
import-again = Upload another file
import-confirm = Confirm and import
import-done-title = Import finished
import-another = Import another file
responses-unknown-column = is neither a column of the responses format nor an item of the instrument
responses-duplicate-column = the column is repeated
responses-bad-value = is not a valid answer (1 to 5, NA or empty)
responses-more-errors = … and { $count } more problems
