import XCTest
import TensorCore
@testable import Display

/// Golden tests of the NumPy-style array summary. Each expected string is NumPy 2.4's output
/// for the line in the comment; a differential run over 60 random float32 arrays (shapes up
/// to 4-D, scales 1e-3..1e6, NaN/Inf) also matched exactly while this was written.
final class ArrayFormatterTests: XCTestCase {
    func testOneDimensional() {
        // np.array([1, 2.5, -3], dtype=np.float32); np.array2string(a, precision=4, threshold=1000, edgeitems=3, separator=', ')
        let data: [Float] = [1, 2.5, -3]
        XCTAssertEqual(formatArray(data, shape: [3]), """
            [ 1. ,  2.5, -3. ]
            """)
    }

    func testShortestDigits() {
        // np.array([0.1, 0.2, 0.3], dtype=np.float32); np.array2string(a, precision=4, threshold=1000, edgeitems=3, separator=', ')
        let data: [Float] = [0.1, 0.2, 0.3]
        XCTAssertEqual(formatArray(data, shape: [3]), """
            [0.1, 0.2, 0.3]
            """)
    }

    func testThreeDimensional() {
        // np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7; np.array2string(a, precision=4, threshold=1000, edgeitems=3, separator=', ')
        let data: [Float] = (0..<24).map { Float($0) / 7 }
        XCTAssertEqual(formatArray(data, shape: [2, 3, 4]), """
            [[[0.    , 0.1429, 0.2857, 0.4286],
              [0.5714, 0.7143, 0.8571, 1.    ],
              [1.1429, 1.2857, 1.4286, 1.5714]],
            
             [[1.7143, 1.8571, 2.    , 2.1429],
              [2.2857, 2.4286, 2.5714, 2.7143],
              [2.8571, 3.    , 3.1429, 3.2857]]]
            """)
    }

    func testWrappedRow() {
        // np.arange(30, dtype=np.float32) / 3; np.array2string(a, precision=4, threshold=1000, edgeitems=3, separator=', ')
        let data: [Float] = (0..<30).map { Float($0) / 3 }
        XCTAssertEqual(formatArray(data, shape: [30]), """
            [0.    , 0.3333, 0.6667, 1.    , 1.3333, 1.6667, 2.    , 2.3333, 2.6667,
             3.    , 3.3333, 3.6667, 4.    , 4.3333, 4.6667, 5.    , 5.3333, 5.6667,
             6.    , 6.3333, 6.6667, 7.    , 7.3333, 7.6667, 8.    , 8.3333, 8.6667,
             9.    , 9.3333, 9.6667]
            """)
    }

    func testLargeMatrixElided() {
        // np.arange(2000, dtype=np.float32).reshape(40, 50) / 7; np.array2string(a, precision=4, threshold=1000, edgeitems=3, separator=', ')
        let data: [Float] = (0..<2000).map { Float($0) / 7 }
        XCTAssertEqual(formatArray(data, shape: [40, 50]), """
            [[0.0000e+00, 1.4286e-01, 2.8571e-01, ..., 6.7143e+00, 6.8571e+00,
              7.0000e+00],
             [7.1429e+00, 7.2857e+00, 7.4286e+00, ..., 1.3857e+01, 1.4000e+01,
              1.4143e+01],
             [1.4286e+01, 1.4429e+01, 1.4571e+01, ..., 2.1000e+01, 2.1143e+01,
              2.1286e+01],
             ...,
             [2.6429e+02, 2.6443e+02, 2.6457e+02, ..., 2.7100e+02, 2.7114e+02,
              2.7129e+02],
             [2.7143e+02, 2.7157e+02, 2.7171e+02, ..., 2.7814e+02, 2.7829e+02,
              2.7843e+02],
             [2.7857e+02, 2.7871e+02, 2.7886e+02, ..., 2.8529e+02, 2.8543e+02,
              2.8557e+02]]
            """)
    }

    func testLongVectorElided() {
        // np.arange(1001, dtype=np.float32); np.array2string(a, precision=4, threshold=1000, edgeitems=3, separator=', ')
        let data: [Float] = (0..<1001).map { Float($0) }
        XCTAssertEqual(formatArray(data, shape: [1001]), """
            [   0.,    1.,    2., ...,  998.,  999., 1000.]
            """)
    }

    func testCubeElided() {
        // np.arange(1331, dtype=np.float32).reshape(11, 11, 11) - 665; np.array2string(a, precision=4, threshold=1000, edgeitems=3, separator=', ')
        let data: [Float] = (0..<1331).map { Float($0) - 665 }
        XCTAssertEqual(formatArray(data, shape: [11, 11, 11]), """
            [[[-665., -664., -663., ..., -657., -656., -655.],
              [-654., -653., -652., ..., -646., -645., -644.],
              [-643., -642., -641., ..., -635., -634., -633.],
              ...,
              [-577., -576., -575., ..., -569., -568., -567.],
              [-566., -565., -564., ..., -558., -557., -556.],
              [-555., -554., -553., ..., -547., -546., -545.]],
            
             [[-544., -543., -542., ..., -536., -535., -534.],
              [-533., -532., -531., ..., -525., -524., -523.],
              [-522., -521., -520., ..., -514., -513., -512.],
              ...,
              [-456., -455., -454., ..., -448., -447., -446.],
              [-445., -444., -443., ..., -437., -436., -435.],
              [-434., -433., -432., ..., -426., -425., -424.]],
            
             [[-423., -422., -421., ..., -415., -414., -413.],
              [-412., -411., -410., ..., -404., -403., -402.],
              [-401., -400., -399., ..., -393., -392., -391.],
              ...,
              [-335., -334., -333., ..., -327., -326., -325.],
              [-324., -323., -322., ..., -316., -315., -314.],
              [-313., -312., -311., ..., -305., -304., -303.]],
            
             ...,
            
             [[ 303.,  304.,  305., ...,  311.,  312.,  313.],
              [ 314.,  315.,  316., ...,  322.,  323.,  324.],
              [ 325.,  326.,  327., ...,  333.,  334.,  335.],
              ...,
              [ 391.,  392.,  393., ...,  399.,  400.,  401.],
              [ 402.,  403.,  404., ...,  410.,  411.,  412.],
              [ 413.,  414.,  415., ...,  421.,  422.,  423.]],
            
             [[ 424.,  425.,  426., ...,  432.,  433.,  434.],
              [ 435.,  436.,  437., ...,  443.,  444.,  445.],
              [ 446.,  447.,  448., ...,  454.,  455.,  456.],
              ...,
              [ 512.,  513.,  514., ...,  520.,  521.,  522.],
              [ 523.,  524.,  525., ...,  531.,  532.,  533.],
              [ 534.,  535.,  536., ...,  542.,  543.,  544.]],
            
             [[ 545.,  546.,  547., ...,  553.,  554.,  555.],
              [ 556.,  557.,  558., ...,  564.,  565.,  566.],
              [ 567.,  568.,  569., ...,  575.,  576.,  577.],
              ...,
              [ 633.,  634.,  635., ...,  641.,  642.,  643.],
              [ 644.,  645.,  646., ...,  652.,  653.,  654.],
              [ 655.,  656.,  657., ...,  663.,  664.,  665.]]]
            """)
    }

    func testScientific() {
        // np.arange(12, dtype=np.float32).reshape(3, 4) * 1e5; np.array2string(a, precision=4, threshold=1000, edgeitems=3, separator=', ')
        let data: [Float] = (0..<12).map { Float($0) * 1e5 }
        XCTAssertEqual(formatArray(data, shape: [3, 4]), """
            [[0.0e+00, 1.0e+05, 2.0e+05, 3.0e+05],
             [4.0e+05, 5.0e+05, 6.0e+05, 7.0e+05],
             [8.0e+05, 9.0e+05, 1.0e+06, 1.1e+06]]
            """)
    }

    func testNanAndInf() {
        // np.array([1e-5, 1, np.nan, -np.inf], dtype=np.float32); np.array2string(a, precision=4, threshold=1000, edgeitems=3, separator=', ')
        let data: [Float] = [1e-5, 1, .nan, -.infinity]
        XCTAssertEqual(formatArray(data, shape: [4]), """
            [1.e-05, 1.e+00,    nan,   -inf]
            """)
    }

    func testFourDimensional() {
        // np.arange(16, dtype=np.float32).reshape(2, 2, 2, 2) - 8; np.array2string(a, precision=4, threshold=1000, edgeitems=3, separator=', ')
        let data: [Float] = (0..<16).map { Float($0) - 8 }
        XCTAssertEqual(formatArray(data, shape: [2, 2, 2, 2]), """
            [[[[-8., -7.],
               [-6., -5.]],
            
              [[-4., -3.],
               [-2., -1.]]],
            
            
             [[[ 0.,  1.],
               [ 2.,  3.]],
            
              [[ 4.,  5.],
               [ 6.,  7.]]]]
            """)
    }

    func testEmptyAndScalar() {
        XCTAssertEqual(formatArray([], shape: [0]), "[]")
        XCTAssertEqual(formatArray([0.1], shape: []), "0.1")
    }
}

final class TensorDescriptionTests: XCTestCase {
    func testScalarPrintsShortestRoundTrip() {
        // Python: repr(0.1 + 0.2) == '0.30000000000000004'
        XCTAssertEqual(NumberFormat.scalar(0.1 + 0.2), "0.30000000000000004")
        XCTAssertEqual(NumberFormat.scalar(Float(1) / 3), "0.33333334")
        XCTAssertEqual(NumberFormat.scalar(Double.nan), "nan")
        XCTAssertEqual(NumberFormat.scalar(-Double.infinity), "-inf")
        XCTAssertEqual(Tensor(shape: [], data: [2.5]).displayString(), "2.5")
    }

    func testTensorPrintsShapeStatsAndSummary() {
        let t = Tensor(shape: [2, 3], data: [1, 2.5, -1.5, 0, 0, 0])
        // np.array([1, 2.5, -1.5, 0, 0, 0]): min -1.5 max 2.5 mean 0.3333 std 1.213 (np.std, ddof=0)
        XCTAssertEqual(t.displayString(), """
            shape [2, 3]
            min -1.5  max 2.5  mean 0.3333  std 1.213
            [[ 1. ,  2.5, -1.5],
             [ 0. ,  0. ,  0. ]]
            """)
    }

    func testNanAndInfAreCountedAndLeftOutOfStats() {
        let t = Tensor(shape: [4], data: [1, .nan, 3, -.infinity])
        XCTAssertEqual(t.displayString(), """
            shape [4]
            min 1  max 3  mean 2  std 1  nan 1  inf 1
            [  1.,  nan,   3., -inf]
            """)
        XCTAssertEqual(TensorStats([Float.nan, .nan]).line, "no finite values  nan 2")
        XCTAssertEqual(TensorStats([Float]()).line, "empty")
    }

    func testLargeTensorWithNanAndInf() {
        // a = np.arange(2000, dtype=np.float32).reshape(40, 50) / 7; a[0, 1] = np.nan; a[39, 49] = np.inf
        // np.array2string(a, precision=4, threshold=1000, edgeitems=3, separator=', ')
        // f = a[np.isfinite(a)].astype(np.float64); '%.4g %.4g %.4g %.4g' % (f.min(), f.max(), f.mean(), f.std())
        var data: [Float] = (0..<2000).map { Float($0) / 7 }
        data[1] = .nan
        data[1999] = .infinity
        XCTAssertEqual(Tensor(shape: [40, 50], data: data).displayString(), """
            shape [40, 50]
            min 0  max 285.4  mean 142.8  std 82.4  nan 1  inf 1
            [[  0.    ,      nan,   0.2857, ...,   6.7143,   6.8571,   7.    ],
             [  7.1429,   7.2857,   7.4286, ...,  13.8571,  14.    ,  14.1429],
             [ 14.2857,  14.4286,  14.5714, ...,  21.    ,  21.1429,  21.2857],
             ...,
             [264.2857, 264.4286, 264.5714, ..., 271.    , 271.1429, 271.2857],
             [271.4286, 271.5714, 271.7143, ..., 278.1429, 278.2857, 278.4286],
             [278.5714, 278.7143, 278.8571, ..., 285.2857, 285.4286,      inf]]
            """)
    }
}
